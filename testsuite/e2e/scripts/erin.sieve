# Outside the redirect policy: refused, the message is kept for erin.
redirect "someone@example.com";
