require "fileinto";
if header :contains "Subject" "[spam]" {
    fileinto "Junk";
    stop;
    keep;
}
if anyof (true) {
    discard;
    stop;
} else {
    keep;
}
fileinto "never";
