if size :over 99999999999999999999999G { keep; }
if size :over 18446744073709551615 { keep; }
if size :under 17179869184K { stop; }
