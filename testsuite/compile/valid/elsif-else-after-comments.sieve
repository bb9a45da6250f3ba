if true { keep; } # comment
/* another */ elsif false { discard; }
else { stop; }
