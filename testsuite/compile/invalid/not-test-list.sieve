if not (true) { keep; }
