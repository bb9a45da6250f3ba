# 4rcpt@example.org: refuses group B after DATA (it reads the body too,
# so the whole message is buffered for it).
require ["reject", "body"];
if anyof (header :contains "subject" "load B", body :contains "never-in-the-load") {
    reject "4rcpt refuses group B";
}
