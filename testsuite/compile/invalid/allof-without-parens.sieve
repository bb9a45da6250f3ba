if allof true { keep; }
