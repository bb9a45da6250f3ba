# Nothing: the implicit keep.
