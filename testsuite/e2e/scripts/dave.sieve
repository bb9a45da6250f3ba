# Inside the redirect policy (redirect_domains = example.org).
redirect "friend@example.org";
