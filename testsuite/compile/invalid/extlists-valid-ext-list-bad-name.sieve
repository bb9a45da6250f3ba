require "extlists";
if valid_ext_list ["tag:example.com,2010:a", "b"] { keep; }
