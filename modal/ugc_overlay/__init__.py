"""Talking head → the person in a shape, as a green-screen MP4 or a grayscale matte MP4.

`core` and everything it imports run without the `modal` package, so the same code serves the
Modal GPU deployment (`app.py`), the local server (`serve_local.py`) and the tests.
"""
