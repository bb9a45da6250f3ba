if true { keep; };
