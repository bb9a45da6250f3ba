require ["encoded-character", "fileinto"];
fileinto "${unicode:2764}";
if header :is "${hex:53 75 62 6a 65 63 74}" "x" { keep; }
