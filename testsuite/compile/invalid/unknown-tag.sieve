if header :soundslike "Subject" "x" { keep; }
