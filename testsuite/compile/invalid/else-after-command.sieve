if true { keep; }
discard;
else { stop; }
