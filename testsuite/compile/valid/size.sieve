if size :over 2M { discard; }
if size :under 1k { keep; }
if not size :over 100K { keep; }
