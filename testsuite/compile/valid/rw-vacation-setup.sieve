require ["vacation", "variables", "date", "relational", "envelope"];
# Out of office between two dates, not for lists or bulk mail.
if allof (currentdate :value "ge" "date" "2026-07-01",
          currentdate :value "le" "date" "2026-07-21",
          not exists ["List-Id", "List-Unsubscribe"],
          not header :is "Precedence" ["bulk", "list", "junk"],
          not envelope :is "from" "") {
  if header :matches "Subject" "*" { set "subj" "${1}"; }
  vacation :days 3
           :addresses ["jane@example.org", "j.doe@example.org"]
           :subject "Out of office: ${subj}"
           :from "Jane Doe <jane@example.org>"
           text:
Hello,

I am on holiday until 21 July with no access to mail.
For urgent matters write to support@example.org.

Jane
.
;
}
