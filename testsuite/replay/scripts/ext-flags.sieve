# imap4flags, editheader, mailbox, special-use and mailboxid in the
# replay-jsonl fields (flags, create, specialuse, mailboxid, addheader,
# deleteheader with index/last/patterns). Run with --mailbox=Lists
# --special-use='\Junk=Spam' --mailbox-id=F42=Archive.
require ["imap4flags", "editheader", "fileinto", "mailbox", "special-use", "mailboxid",
         "copy", "variables"];

addflag "\\Seen";
if header :contains "subject" "money" {
    addflag "$Money \\seen";
}
addheader "X-Sieve" "replayed";
addheader :last "X-Tail" "Grüße";
# Protected: nothing done, nothing recorded.
deleteheader "Received";
if header :is "X-Spam-Flag" "YES" {
    deleteheader :matches "X-Spam-Flag" ["Y*", "maybe"];
    if specialuse_exists "\\Junk" {
        fileinto :specialuse "\\Junk" :create "Spam";
    }
    stop;
}
if header :contains "subject" "raid" {
    deleteheader :index 1 :last "Subject";
    if mailboxexists "Lists" {
        fileinto :flags ["\\Flagged", "$Raid"] :copy "Lists";
    }
}
if header :contains "subject" "Lunch" {
    if mailboxidexists "F42" {
        fileinto :mailboxid "F42" "Archive";
    }
    if not mailboxexists "Nowhere" {
        fileinto :create "Nowhere";
    }
}
if header :contains "subject" "quoting" {
    removeflag "\\Seen";
    keep :flags "";
}
