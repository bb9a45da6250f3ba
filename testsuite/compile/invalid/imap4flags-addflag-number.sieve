require "imap4flags";
addflag 1;
