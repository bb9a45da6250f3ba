require "foreverypart";
foreverypart { foreverypart { foreverypart { foreverypart { foreverypart { } } } } }
