if true { keep; } elsif { discard; }
