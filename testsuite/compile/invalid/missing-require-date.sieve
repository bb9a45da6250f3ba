if currentdate :is "year" "2026" { keep; }
