<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name></name>
    <message numerus="yes">
        <source>%n good picture(s) used.</source>
        <translation>
            <numerusform>%n good picture used.</numerusform>
            <numerusform>%n good pictures used.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) not used.</source>
        <translation>
            <numerusform>%n picture not used.</numerusform>
            <numerusform>%n pictures not used.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n entry</numerusform>
            <numerusform>%n entries</numerusform>
        </translation>
    </message>
</context>
</TS>
