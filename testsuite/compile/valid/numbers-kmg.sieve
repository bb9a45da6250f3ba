if size :over 100 { keep; }
if size :over 10K { keep; }
if size :over 10k { keep; }
if size :under 5M { keep; }
if size :under 5m { keep; }
if size :over 1G { keep; }
if size :over 2g { keep; }
if size :under 0 { keep; }
