require ["fileinto"];
if header :contains "List-Id" "list01" { fileinto "L/01"; }
if header :contains "List-Id" "list02" { fileinto "L/02"; }
if header :contains "List-Id" "list03" { fileinto "L/03"; }
if header :contains "List-Id" "list04" { fileinto "L/04"; }
if header :contains "List-Id" "list05" { fileinto "L/05"; }
if header :contains "List-Id" "list06" { fileinto "L/06"; }
if header :contains "List-Id" "list07" { fileinto "L/07"; }
if header :contains "List-Id" "list08" { fileinto "L/08"; }
if header :contains "List-Id" "list09" { fileinto "L/09"; }
if header :contains "List-Id" "list10" { fileinto "L/10"; }
