from backpace.cli import main

main()
