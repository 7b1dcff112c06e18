"""Adapters that drive the frameworks' own optimizer and schedule objects for ``gradspec verify``.

Each module imports one framework and exposes one function per checked object. A function
takes a *case* (a dict with the spec's names: ``w``, ``grads``, ``learning_rates``, ``beta1``,
...), translates the names into the framework's, makes a fresh object, runs it, and returns
what the framework computed as NumPy: the parameters after each step, or the learning rate
at each step. Nothing here computes an update itself.
"""
