"""The checkers of each exercise, one module per exercise (named like its student file)."""
