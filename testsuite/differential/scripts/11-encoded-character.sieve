# encoded-character strings as keys and folder names.
require ["copy", "fileinto", "encoded-character"];

if header :contains "Subject" "${hex:5b 50 41 54 43 48}" {
    fileinto "${hex:50 61 74 63 68 65 73}";
}
if header :contains "From" "${unicode:40}" {
    fileinto :copy "at-${unicode:263a}";
}
if header :contains "Content-Type" "charset=${hex:22}" {
    fileinto "quoted-charset";
}
