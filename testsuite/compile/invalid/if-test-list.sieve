if (true, false) { keep; }
