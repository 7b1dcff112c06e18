// Typeset the math that pymdownx.arithmatex marked, with the KaTeX this site serves itself.
// Runs on every page view, including Material's instant navigation (document$).
document$.subscribe(({ body }) => {
  for (const element of body.querySelectorAll(".arithmatex")) {
    renderMathInElement(element, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    });
  }
  body.dataset.mathRendered = "true";
});
