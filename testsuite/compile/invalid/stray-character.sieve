keep; @
