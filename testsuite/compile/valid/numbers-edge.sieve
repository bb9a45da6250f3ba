if size :over 0K { keep; }
if size :under 007 { keep; }
if size :over 9223372036854775807 { keep; }
