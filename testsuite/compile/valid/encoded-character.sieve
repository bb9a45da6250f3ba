require ["encoded-character", "fileinto"];
# RFC 5228 2.4.2.4 examples.
if header :contains "Subject" "$${hex:40}" { keep; }
if header :contains "Subject" "${hex: 40 }" { keep; }
if header :contains "Subject" "${HEX: 40}" { keep; }
if header :contains "Subject" "${hex:40" { keep; }
if header :contains "Subject" "${hex:400}" { keep; }
if header :contains "Subject" "${hex:4${hex:30}}" { keep; }
if header :contains "Subject" "${unicode:40}" { keep; }
if header :contains "Subject" "${ unicode:40}" { keep; }
if header :contains "Subject" "${UNICODE:40}" { keep; }
if header :contains "Subject" "${UnICoDE:0000040}" { keep; }
if header :contains "Subject" "${Unicode:40}" { keep; }
if header :contains "Subject" "${Unicode:Cool}" { keep; }
if header :contains "Subject" "${unicode:1F600 E9 41}" { keep; }
fileinto "${hex:49 4e 42 4f 58}";
