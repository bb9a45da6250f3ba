if true { keep; } { discard; }
