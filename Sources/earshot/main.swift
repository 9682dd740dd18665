import ArgumentParser
import EarshotKit

Earshot.main()
