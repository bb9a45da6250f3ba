# RFC 5429 2.1: reject cannot go with vacation.
require ["vacation", "reject"];
vacation "I am away.";
reject "Not now.";
