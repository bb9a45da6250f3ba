if :is true { keep; }
