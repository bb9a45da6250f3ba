# Wildcards: * any sequence, ? one character, \ escapes (RFC 5228 2.7.1).
if header :matches "Subject" "\\*\\?" { keep; }
if header :matches "Subject" "**??" { keep; }
if header :matches "Subject" "[not a class]" { keep; }
if address :matches :all "from" "*@*.example.org" { keep; }
