if header :contains ["From", "To", "Cc"] ["alice", "bob", "carol"] { keep; }
if header :is ["Subject"] ["x"] { keep; }
