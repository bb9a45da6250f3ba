if allof (header :contains "From" "boss", header :contains "Subject" "urgent") { keep; }
if anyof (size :over 1M, header :contains "Subject" "[BULK]", exists "Precedence") { discard; }
if allof (true) { keep; }
if anyof (false) { discard; }
