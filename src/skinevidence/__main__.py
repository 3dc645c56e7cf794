from skinevidence.cli import main

main()
