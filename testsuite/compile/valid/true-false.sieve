if true { keep; }
if false { discard; }
if not true { discard; }
