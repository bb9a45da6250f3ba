# Body tests on the undecoded body.
require ["copy", "body", "fileinto"];

if body :raw :contains "Content-Transfer-Encoding: base64" {
    fileinto "base64";
}
if body :raw :contains :comparator "i;octet" "=3D" {
    fileinto :copy "qp";
}
if body :raw :matches "*begin 6?? *" {
    fileinto "uuencode";
}
if body :raw :contains "-----BEGIN PGP" {
    fileinto "pgp";
}
