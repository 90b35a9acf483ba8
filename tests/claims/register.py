"""The claims register: every sentence of a notebook that states the result of an experiment
has a test here that recomputes it with the package.

One file per notebook, ``tests/claims/test_<notebook stem>.py``, with ``NOTEBOOK = "<file name>"``.
Each test is marked with the cell it guards and a phrase quoted from that cell::

    @claim("ec8a52c3", "learning rates above about 0.79")
    def test_the_edge_of_stability_at_the_start():
        ...

``tests/test_claims_register.py`` checks that every notebook has its file, that every named
cell still exists and still contains the quoted phrase: a changed sentence points to its test.
"""


def claim(cell, says):
    """Mark a test as the check of what markdown cell ``cell`` says; ``says`` is quoted from it."""
    if not isinstance(cell, str) or not isinstance(says, str) or not says.strip():
        raise ValueError("claim(cell, says) needs a cell id and a phrase quoted from that cell")

    def mark(test):
        test.claims = getattr(test, "claims", ()) + ((cell, says),)
        return test
    return mark
