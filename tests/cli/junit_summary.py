# Reads a JUnit XML report with a real XML parser and prints what CI would read from it:
# the totals, then each test case with its verdict and the message of a failure or error.
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
suite = root.find("testsuite")
cases = suite.findall("testcase")
assert int(suite.get("tests")) == len(cases)
print(f"tests={suite.get('tests')} failures={suite.get('failures')} errors={suite.get('errors')}")
for case in cases:
    verdict = next((child for child in case if child.tag in ("failure", "error")), None)
    if verdict is None:
        print(f"{case.get('name')}: passed, {case.get('assertions')} asserts")
    else:
        print(f"{case.get('name')}: {verdict.tag} [{verdict.get('type')}] {verdict.get('message')}")
        for line in verdict.text.splitlines():
            print(f"  {line}")
