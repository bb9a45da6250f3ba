if size :over 10 :under 100 { keep; }
