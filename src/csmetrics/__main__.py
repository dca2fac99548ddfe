from csmetrics.launch import main

main()
