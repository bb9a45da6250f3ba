if allof (true, false { keep; }
