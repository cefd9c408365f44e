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
    <message numerus="yes">
        <source>Last %n day(s)</source>
        <translation>
            <numerusform>Last %n day</numerusform>
            <numerusform>Last %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sign-in(s)</source>
        <translation>
            <numerusform>%n sign-in</numerusform>
            <numerusform>%n sign-ins</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Frames rejected, per reason, of %n frame(s) with a face</source>
        <translation>
            <numerusform>Frames rejected, per reason, of %n frame with a face</numerusform>
            <numerusform>Frames rejected, per reason, of %n frames with a face</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Camera live, last %n day(s)</source>
        <translation>
            <numerusform>Camera live, last %n day</numerusform>
            <numerusform>Camera live, last %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sign-ins per day, last %n day(s)</source>
        <translation>
            <numerusform>Sign-ins per day, last %n day</numerusform>
            <numerusform>Sign-ins per day, last %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n person-day(s)</source>
        <translation>
            <numerusform>%n person-day</numerusform>
            <numerusform>%n person-days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n with a missing punch</source>
        <translation>
            <numerusform>%n with a missing punch</numerusform>
            <numerusform>%n with a missing punch</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>At most %n day(s) at a time.</source>
        <translation>
            <numerusform>At most %n day at a time.</numerusform>
            <numerusform>At most %n days at a time.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n try(s) left before a lockout</source>
        <translation>
            <numerusform>%n try left before a lockout</numerusform>
            <numerusform>%n tries left before a lockout</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n try(s) left</source>
        <translation>
            <numerusform>%n try left</numerusform>
            <numerusform>%n tries left</numerusform>
        </translation>
    </message>
</context>
</TS>
