# Numbers up to 2^63-1 fit in the compiler's integers.
if size :over 4294967296 { keep; }
if size :under 1024G { keep; }
