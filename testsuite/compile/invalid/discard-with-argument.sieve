discard 1;
