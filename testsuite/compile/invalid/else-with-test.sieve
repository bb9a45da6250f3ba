if true { keep; } else false { discard; }
