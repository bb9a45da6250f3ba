if true { stop; keep; }
if false { } else { stop; }
stop;
