require ["extlists", "envelope", "subaddress"];
if allof (envelope :detail "to" "mylist",
          address :list "from" ":addrbook:default") {
    redirect :list "tag:example.com,2010-05-28:mylist";
}
