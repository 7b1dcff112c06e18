// The Node.js example client with a typical Adam bug: the second moment is bias-corrected with
// beta1 instead of beta2 (seed 001 misprints its formula so). gradspec verify --exec must fail it.
"use strict";
const client = require("./client.js");

client.setSecondMomentCorrection(({ beta1, t }) => 1 - beta1 ** t);
client.serve("gradspec example client with an Adam bug (Node.js)");
