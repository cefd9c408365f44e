<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name></name>
    <message>
        <source>Administration</source>
        <translation>관리</translation>
    </message>
    <message>
        <source>People</source>
        <translation>등록된 사람</translation>
    </message>
    <message>
        <source>Enroll a person</source>
        <translation>사람 등록</translation>
    </message>
    <message>
        <source>Actor look-alike</source>
        <translation>닮은 배우 찾기</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>감사 기록</translation>
    </message>
    <message>
        <source>Back to the kiosk</source>
        <translation>키오스크로 돌아가기</translation>
    </message>
    <message>
        <source>Exit kiosk mode</source>
        <translation>키오스크 모드 종료</translation>
    </message>
    <message>
        <source>Face models run slower than they should: {why}</source>
        <translation>얼굴 모델이 평소보다 느리게 실행되고 있습니다: {why}</translation>
    </message>
    <message>
        <source>Fleet: {kiosk}, last sync {when}, {n} change(s) waiting</source>
        <translation>키오스크 그룹: {kiosk}, 마지막 동기화 {when}, 대기 중인 변경 {n}건</translation>
    </message>
    <message>
        <source>never</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Last sync error: {error}</source>
        <translation>마지막 동기화 오류: {error}</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>환영합니다</translation>
    </message>
    <message>
        <source>Look at the camera to sign in</source>
        <translation>로그인하려면 카메라를 바라보세요</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>로그인</translation>
    </message>
    <message>
        <source>Getting ready…</source>
        <translation>준비하는 중…</translation>
    </message>
    <message>
        <source>Which actor do you look like?</source>
        <translation>나와 닮은 배우는?</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>관리자</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>이벤트</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>사람</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>점수</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>판정</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>세부 정보</translation>
    </message>
    <message>
        <source>Export to CSV</source>
        <translation>CSV로 내보내기</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>뒤로</translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation>{path}에 저장했습니다</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>모든 이벤트</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>최근 24시간</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>최근 7일</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>최근 30일</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>전체</translation>
    </message>
    <message>
        <source>Re-enroll {name}</source>
        <translation>{name} 재등록</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>성명</translation>
    </message>
    <message>
        <source>Employee or member number</source>
        <translation>사번 또는 회원 번호</translation>
    </message>
    <message>
        <source>Capture with the camera</source>
        <translation>카메라로 촬영</translation>
    </message>
    <message>
        <source>From photo files…</source>
        <translation>사진 파일에서…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Save anyway</source>
        <translation>그래도 저장</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>저장</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <source>Enroll another person</source>
        <translation>다른 사람 등록</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Please type a name and an ID.</source>
        <translation>이름과 ID를 입력하세요.</translation>
    </message>
    <message>
        <source>Reading photo {n}…</source>
        <translation>사진 읽는 중 {n}…</translation>
    </message>
    <message>
        <source>Capture failed: {why}</source>
        <translation>촬영 실패: {why}</translation>
    </message>
    <message>
        <source>No usable face in the photos: {why}</source>
        <translation>사진에서 쓸 수 있는 얼굴이 없습니다: {why}</translation>
    </message>
    <message>
        <source>{name} is enrolled.</source>
        <translation>{name} 님이 등록되었습니다.</translation>
    </message>
    <message>
        <source>Not saved: {why}</source>
        <translation>저장하지 못했습니다: {why}</translation>
    </message>
    <message>
        <source>Pictures not used</source>
        <translation>사용하지 않은 사진</translation>
    </message>
    <message>
        <source>This face looks like {name} (ID {id}), already enrolled. Save only if they are different people.</source>
        <translation>이미 등록된 {name} 님(ID {id})과 비슷한 얼굴입니다. 다른 사람인 경우에만 저장하세요.</translation>
    </message>
    <message>
        <source>Choose photos of the person</source>
        <translation>등록할 사람의 사진 선택</translation>
    </message>
    <message>
        <source>Photos not used: {files}</source>
        <translation>사용하지 않은 사진: {files}</translation>
    </message>
    <message>
        <source>Your closest look-alikes</source>
        <translation>가장 닮은 배우</translation>
    </message>
    <message>
        <source>Just for fun. Your picture is not stored.</source>
        <translation>재미로 보는 결과입니다. 사진은 저장되지 않습니다.</translation>
    </message>
    <message>
        <source>Temporarily out of order</source>
        <translation>일시적으로 사용할 수 없습니다</translation>
    </message>
    <message>
        <source>The camera is not available. We are trying again; please use another kiosk meanwhile.</source>
        <translation>카메라를 사용할 수 없습니다. 다시 연결하는 중이니 잠시 다른 키오스크를 이용해 주세요.</translation>
    </message>
    <message>
        <source>Operator attention needed</source>
        <translation>관리자 확인이 필요합니다</translation>
    </message>
    <message>
        <source>The kiosk cannot open its database: the key is missing or wrong. Nobody can sign in until an operator fixes it.</source>
        <translation>데이터베이스를 열 수 없습니다. 키가 없거나 올바르지 않습니다. 관리자가 해결할 때까지 로그인할 수 없습니다.</translation>
    </message>
    <message>
        <source>The kiosk cannot load its face models. An operator must install a model pack.</source>
        <translation>얼굴 인식 모델을 불러올 수 없습니다. 관리자가 모델 팩을 설치해야 합니다.</translation>
    </message>
    <message>
        <source>The kiosk cannot start. An operator must look at it.</source>
        <translation>키오스크를 시작할 수 없습니다. 관리자 확인이 필요합니다.</translation>
    </message>
    <message>
        <source>Close the kiosk</source>
        <translation>키오스크 닫기</translation>
    </message>
    <message>
        <source>Search by name or ID</source>
        <translation>이름 또는 ID로 검색</translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation>키보드</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>수정 시각</translation>
    </message>
    <message>
        <source>Re-enroll</source>
        <translation>재등록</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Delete for good</source>
        <translation>영구 삭제</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>유지</translation>
    </message>
    <message>
        <source>Delete {name} and their face data? This cannot be undone.</source>
        <translation>{name} 님과 얼굴 데이터를 삭제할까요? 되돌릴 수 없습니다.</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>사용함</translation>
    </message>
    <message>
        <source>Not used: does not look like the others</source>
        <translation>사용 안 함: 다른 사진과 다른 얼굴</translation>
    </message>
    <message>
        <source>Not used: no face found</source>
        <translation>사용 안 함: 얼굴을 찾지 못함</translation>
    </message>
    <message>
        <source>Not used: more than one face</source>
        <translation>사용 안 함: 얼굴이 두 개 이상</translation>
    </message>
    <message>
        <source>Not used: the file cannot be read</source>
        <translation>사용 안 함: 파일을 읽을 수 없음</translation>
    </message>
    <message>
        <source>Not used: {why}</source>
        <translation>사용 안 함: {why}</translation>
    </message>
    <message>
        <source>New person</source>
        <translation>새 사람</translation>
    </message>
    <message>
        <source>New: {name}</source>
        <translation>새로 등록: {name}</translation>
    </message>
    <message>
        <source>Enrolled: {name}</source>
        <translation>이미 등록됨: {name}</translation>
    </message>
    <message>
        <source>ID {id}</source>
        <translation>ID {id}</translation>
    </message>
    <message>
        <source>Updated {time}</source>
        <translation>수정: {time}</translation>
    </message>
    <message>
        <source>No face picture stored</source>
        <translation>저장된 얼굴 사진 없음</translation>
    </message>
    <message>
        <source>Face pictures deleted</source>
        <translation>얼굴 사진 삭제됨</translation>
    </message>
    <message>
        <source>Kiosk restarted</source>
        <translation>키오스크 다시 시작됨</translation>
    </message>
    <message>
        <source>Crashed</source>
        <translation>비정상 종료</translation>
    </message>
    <message>
        <source>Not responding</source>
        <translation>응답 없음</translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) not used.</source>
        <translation>
            <numerusform>사용하지 않은 사진 %n장.</numerusform>
        </translation>
    </message>
    <message>
        <source>Needs re-enrollment</source>
        <translation>재등록 필요</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>등록됨</translation>
    </message>
    <message>
        <source>{n} people</source>
        <translation>{n}명</translation>
    </message>
    <message>
        <source>Choose the admin PIN</source>
        <translation>관리자 PIN 설정</translation>
    </message>
    <message>
        <source>Type the same PIN again</source>
        <translation>같은 PIN을 한 번 더 입력하세요</translation>
    </message>
    <message>
        <source>Admin PIN</source>
        <translation>관리자 PIN</translation>
    </message>
    <message>
        <source>At least {n} digits. There is no default PIN.</source>
        <translation>{n}자리 이상 숫자. 기본 PIN은 없습니다.</translation>
    </message>
    <message>
        <source>Type the PIN and press OK</source>
        <translation>PIN을 입력하고 확인을 누르세요</translation>
    </message>
    <message>
        <source>The PIN needs at least {n} digits.</source>
        <translation>PIN은 {n}자리 이상이어야 합니다.</translation>
    </message>
    <message>
        <source>The two PINs were different. Start again.</source>
        <translation>두 PIN이 다릅니다. 처음부터 다시 입력하세요.</translation>
    </message>
    <message>
        <source>Wrong PIN. Try again.</source>
        <translation>PIN이 틀렸습니다. 다시 입력하세요.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Locked for {s} more seconds.</source>
        <translation>PIN을 여러 번 틀렸습니다. {s}초 동안 잠깁니다.</translation>
    </message>
    <message>
        <source>The PIN could not be checked.</source>
        <translation>PIN을 확인할 수 없습니다.</translation>
    </message>
    <message>
        <source>Please try again</source>
        <translation>다시 시도해 주세요</translation>
    </message>
    <message>
        <source>Not recognised</source>
        <translation>확인되지 않았습니다</translation>
    </message>
    <message>
        <source>Sign-in refused</source>
        <translation>로그인이 거부되었습니다</translation>
    </message>
    <message>
        <source>You are signed in.</source>
        <translation>로그인되었습니다.</translation>
    </message>
    <message>
        <source>You are not enrolled at this kiosk. Please ask a member of staff.</source>
        <translation>이 키오스크에 등록되어 있지 않습니다. 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>Please ask a member of staff for help.</source>
        <translation>직원에게 도움을 요청하세요.</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>카메라</translation>
    </message>
    <message>
        <source>Use this camera</source>
        <translation>이 카메라 사용</translation>
    </message>
    <message>
        <source>Recognition thresholds</source>
        <translation>인식 기준값</translation>
    </message>
    <message>
        <source>Accept at or above</source>
        <translation>이 값 이상이면 승인</translation>
    </message>
    <message>
        <source>Reject below</source>
        <translation>이 값 미만이면 거부</translation>
    </message>
    <message>
        <source>Sign-in capture</source>
        <translation>로그인 촬영</translation>
    </message>
    <message>
        <source>Enrollment capture</source>
        <translation>등록 촬영</translation>
    </message>
    <message>
        <source>Good pictures needed</source>
        <translation>필요한 좋은 사진 수</translation>
    </message>
    <message>
        <source>Give up after (seconds)</source>
        <translation>제한 시간(초)</translation>
    </message>
    <message>
        <source>Smallest face (pixels)</source>
        <translation>최소 얼굴 크기(픽셀)</translation>
    </message>
    <message>
        <source>Largest head turn (degrees)</source>
        <translation>최대 고개 돌림(도)</translation>
    </message>
    <message>
        <source>Largest head tilt (degrees)</source>
        <translation>최대 고개 기울임(도)</translation>
    </message>
    <message>
        <source>Least sharpness</source>
        <translation>최소 선명도</translation>
    </message>
    <message>
        <source>Check for photos and screens</source>
        <translation>사진·화면 위조 검사</translation>
    </message>
    <message>
        <source>Security against photos and screens</source>
        <translation>사진·화면 위조 방지 수준</translation>
    </message>
    <message>
        <source>Standard: look at the camera</source>
        <translation>표준: 카메라를 바라보기</translation>
    </message>
    <message>
        <source>Strict: also turn the head left and right</source>
        <translation>엄격: 고개를 왼쪽과 오른쪽으로도 돌리기</translation>
    </message>
    <message>
        <source>Adaptive: turn the head only when the check is unsure</source>
        <translation>적응형: 검사가 확실하지 않을 때만 고개 돌리기</translation>
    </message>
    <message>
        <source>Adaptive asks for the head turn only when the check is unsure. With a model pack trained for it (kiosk liveness train), tested on rooms it had not seen, about 8 in 100 real people were asked to turn (26 in 100 in the hardest room), none were refused, and about 2 in 100 photo or screen attacks got through without the turn. A pack without that training asks everyone, like Strict.</source>
        <translation>적응형은 검사가 확실하지 않을 때만 고개 돌리기를 요청합니다. 이를 위해 학습한 모델 팩(kiosk liveness train)으로 학습에 쓰지 않은 장소에서 시험했을 때, 실제 사람 100명 중 약 8명이 고개 돌리기를 요청받았고(가장 어려운 장소에서는 100명 중 26명), 거부된 사람은 없었으며, 사진이나 화면 공격은 100건 중 약 2건이 고개 돌리기 없이 통과했습니다. 이 학습을 하지 않은 팩은 엄격처럼 모든 사람에게 요청합니다.</translation>
    </message>
    <message>
        <source>Standard checks each picture for signs of a photo or a screen: sign-in takes about a second, but a good photo or phone screen held up to the camera can still get through (about 4 in 10 such attacks in tests). Strict also asks for a head turn to each side: a few seconds longer, and no print or phone picture passed it in tests, bent or not, while all 15 real head turns tried passed it; a video of the right person turning their head can still get through.</source>
        <translation>표준은 화면마다 사진이나 화면의 흔적을 검사합니다. 로그인은 약 1초 걸리지만, 카메라 앞에 잘 찍힌 사진이나 휴대폰 화면을 들이대면 통과될 수 있습니다(시험에서 이런 공격 10건 중 약 4건). 엄격은 고개를 양쪽으로 한 번씩 돌리도록 추가로 요청합니다. 몇 초 더 걸리고, 시험에서 인쇄물과 휴대폰 사진은 휘었든 아니든 하나도 통과하지 못했고, 시험한 실제 고개 돌리기 15건은 모두 통과했습니다. 본인이 고개를 돌리는 동영상은 여전히 통과할 수 있습니다.</translation>
    </message>
    <message>
        <source>Keep a face picture of each person</source>
        <translation>사람마다 얼굴 사진 보관</translation>
    </message>
    <message>
        <source>Shown on the people list and the enrollment review, sealed like the templates. Turning this off deletes the stored pictures.</source>
        <translation>사람 목록과 등록 확인 화면에 표시되며 템플릿처럼 암호화해 보관합니다. 끄면 보관된 사진이 삭제됩니다.</translation>
    </message>
    <message>
        <source>Kiosk</source>
        <translation>키오스크</translation>
    </message>
    <message>
        <source>Back to start after idle (seconds)</source>
        <translation>대기 후 처음 화면으로(초)</translation>
    </message>
    <message>
        <source>Show the result for (seconds)</source>
        <translation>결과 표시 시간(초)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>Hide the mouse pointer</source>
        <translation>마우스 포인터 숨기기</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>시스템 설정 따르기</translation>
    </message>
    <message>
        <source>No enrolled face in view</source>
        <translation>화면에 등록된 얼굴이 없습니다</translation>
    </message>
    <message>
        <source>Best match for the face in view: {score}</source>
        <translation>현재 얼굴의 최고 일치 점수: {score}</translation>
    </message>
    <message>
        <source>Face Kiosk</source>
        <translation>얼굴 인식 키오스크</translation>
    </message>
    <message>
        <source>Starting up: loading the face models…</source>
        <translation>시작하는 중: 얼굴 인식 모델을 불러오고 있습니다…</translation>
    </message>
    <message>
        <source>Please come a little closer</source>
        <translation>조금 더 가까이 와 주세요</translation>
    </message>
    <message>
        <source>Please look straight at the camera</source>
        <translation>카메라를 정면으로 바라봐 주세요</translation>
    </message>
    <message>
        <source>It is too dark here</source>
        <translation>너무 어둡습니다</translation>
    </message>
    <message>
        <source>There is too much light</source>
        <translation>빛이 너무 강합니다</translation>
    </message>
    <message>
        <source>One person at a time, please</source>
        <translation>한 번에 한 사람만 서 주세요</translation>
    </message>
    <message>
        <source>Hold still</source>
        <translation>움직이지 마세요</translation>
    </message>
    <message>
        <source>Look at the camera</source>
        <translation>카메라를 바라보세요</translation>
    </message>
    <message>
        <source>Slowly turn your head to the left</source>
        <translation>고개를 천천히 왼쪽으로 돌리세요</translation>
    </message>
    <message>
        <source>Slowly turn your head to the right</source>
        <translation>고개를 천천히 오른쪽으로 돌리세요</translation>
    </message>
    <message>
        <source>Thank you</source>
        <translation>감사합니다</translation>
    </message>
    <message>
        <source>Face too far away</source>
        <translation>얼굴이 너무 멉니다</translation>
    </message>
    <message>
        <source>Picture blurred: hold still</source>
        <translation>사진이 흐립니다: 움직이지 마세요</translation>
    </message>
    <message>
        <source>Too dark</source>
        <translation>너무 어두움</translation>
    </message>
    <message>
        <source>Too bright</source>
        <translation>너무 밝음</translation>
    </message>
    <message>
        <source>Head turned: look straight ahead</source>
        <translation>고개가 돌아갔습니다: 정면을 보세요</translation>
    </message>
    <message>
        <source>Head tilted: look straight ahead</source>
        <translation>고개가 기울었습니다: 정면을 보세요</translation>
    </message>
    <message>
        <source>Face not clearly visible</source>
        <translation>얼굴이 잘 보이지 않습니다</translation>
    </message>
    <message>
        <source>No face seen</source>
        <translation>얼굴이 보이지 않습니다</translation>
    </message>
    <message>
        <source>More than one person</source>
        <translation>여러 사람이 보입니다</translation>
    </message>
    <message>
        <source>Inconsistent pictures</source>
        <translation>사진이 서로 일치하지 않습니다</translation>
    </message>
    <message>
        <source>We could not be sure it is you</source>
        <translation>본인인지 확실하지 않습니다</translation>
    </message>
    <message>
        <source>It took too long</source>
        <translation>시간이 초과되었습니다</translation>
    </message>
    <message>
        <source>Not enough clear pictures</source>
        <translation>선명한 사진이 부족합니다</translation>
    </message>
    <message>
        <source>The head turn was not completed</source>
        <translation>고개 돌리기가 완료되지 않았습니다</translation>
    </message>
    <message>
        <source>Not accepted</source>
        <translation>승인되지 않았습니다</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>띄어쓰기</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>확인</translation>
    </message>
    <message>
        <source>Events to other systems</source>
        <translation>다른 시스템으로 보내는 이벤트</translation>
    </message>
    <message>
        <source>Kiosk name (empty: the computer name)</source>
        <translation>키오스크 이름 (비우면 컴퓨터 이름)</translation>
    </message>
    <message>
        <source>Webhook address (https://...)</source>
        <translation>웹훅 주소 (https://...)</translation>
    </message>
    <message>
        <source>Webhook secret</source>
        <translation>웹훅 비밀 키</translation>
    </message>
    <message>
        <source>Certificate file (empty: the system's)</source>
        <translation>인증서 파일 (비우면 시스템 인증서)</translation>
    </message>
    <message>
        <source>Command to run for each event</source>
        <translation>이벤트마다 실행할 명령</translation>
    </message>
    <message>
        <source>File to append events to</source>
        <translation>이벤트를 덧붙일 파일</translation>
    </message>
    <message>
        <source>Events: no destination is set</source>
        <translation>이벤트: 보낼 곳이 설정되지 않았습니다</translation>
    </message>
    <message>
        <source>Events: {count} waiting to be sent</source>
        <translation>이벤트: {count}개 전송 대기 중</translation>
    </message>
    <message>
        <source>Events: all sent</source>
        <translation>이벤트: 모두 전송됨</translation>
    </message>
    <message>
        <source>Last delivery error: {error}</source>
        <translation>마지막 전송 오류: {error}</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n건</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n good picture(s) used.</source>
        <translation>
            <numerusform>좋은 사진 %n장을 사용했습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Ask for a head turn</source>
        <translation>고개 돌리기 요청</translation>
    </message>
    <message>
        <source>Admin sign-in</source>
        <translation>관리자 로그인</translation>
    </message>
    <message>
        <source>Admin PIN set</source>
        <translation>관리자 PIN 설정</translation>
    </message>
    <message>
        <source>Audit log exported</source>
        <translation>감사 기록 내보내기</translation>
    </message>
    <message>
        <source>Person deleted</source>
        <translation>사람 삭제</translation>
    </message>
    <message>
        <source>Person enrolled</source>
        <translation>사람 등록</translation>
    </message>
    <message>
        <source>Enrollment refused</source>
        <translation>등록 거부</translation>
    </message>
    <message>
        <source>Database exported</source>
        <translation>데이터베이스 내보내기</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>로그인 시도</translation>
    </message>
    <message>
        <source>Database imported</source>
        <translation>데이터베이스 가져오기</translation>
    </message>
    <message>
        <source>Kiosk closed</source>
        <translation>키오스크 종료</translation>
    </message>
    <message>
        <source>Person re-enrolled</source>
        <translation>사람 재등록</translation>
    </message>
    <message>
        <source>Database key changed</source>
        <translation>데이터베이스 키 변경</translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation>설정 저장</translation>
    </message>
    <message>
        <source>Identity check</source>
        <translation>본인 확인</translation>
    </message>
    <message>
        <source>Camera or model fault</source>
        <translation>카메라 또는 모델 오류</translation>
    </message>
    <message>
        <source>Camera lost</source>
        <translation>카메라 연결 끊김</translation>
    </message>
    <message>
        <source>Camera back</source>
        <translation>카메라 다시 연결됨</translation>
    </message>
    <message>
        <source>Face models moved to the CPU</source>
        <translation>얼굴 모델을 CPU로 전환함</translation>
    </message>
    <message>
        <source>Unsent events dropped</source>
        <translation>보내지 못한 이벤트 삭제됨</translation>
    </message>
    <message>
        <source>Fleet change conflict</source>
        <translation>키오스크 그룹 변경 충돌</translation>
    </message>
    <message>
        <source>Left the fleet</source>
        <translation>키오스크 그룹에서 나감</translation>
    </message>
    <message>
        <source>Fleet key rotated</source>
        <translation>키오스크 그룹 키 교체됨</translation>
    </message>
    <message>
        <source>Refused: photo or screen</source>
        <translation>거부: 사진 또는 화면</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>해결됨</translation>
    </message>
    <message>
        <source>This kiosk's change kept</source>
        <translation>이 키오스크의 변경 유지</translation>
    </message>
    <message>
        <source>The fleet's change kept</source>
        <translation>키오스크 그룹의 변경 유지</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>승인</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>거부</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <source>Trends</source>
        <translation>이용 현황</translation>
    </message>
    <message>
        <source>Speed and camera</source>
        <translation>속도와 카메라</translation>
    </message>
    <message>
        <source>Picture problems</source>
        <translation>촬영 문제</translation>
    </message>
    <message>
        <source>No sign-ins yet</source>
        <translation>아직 로그인 기록이 없습니다</translation>
    </message>
    <message>
        <source>The figures appear here after the first sign-in.</source>
        <translation>첫 로그인 후에 여기에 수치가 표시됩니다.</translation>
    </message>
    <message>
        <source>{share} accepted</source>
        <translation>{share} 승인</translation>
    </message>
    <message>
        <source>No frame with a face was rejected.</source>
        <translation>얼굴이 보인 프레임 중 거부된 것이 없습니다.</translation>
    </message>
    <message>
        <source>Median time to a decision</source>
        <translation>판정까지 걸린 시간 (중앙값)</translation>
    </message>
    <message>
        <source>9 in 10 decided within</source>
        <translation>10건 중 9건의 판정 시간</translation>
    </message>
    <message>
        <source>Camera live, last 24 hours</source>
        <translation>카메라 작동, 최근 24시간</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds}초</translation>
    </message>
    <message>
        <source>Refused as a spoof</source>
        <translation>위조로 거부</translation>
    </message>
    <message>
        <source>Too far away</source>
        <translation>너무 멀리 있음</translation>
    </message>
    <message>
        <source>Blurred</source>
        <translation>흐림</translation>
    </message>
    <message>
        <source>Turned left</source>
        <translation>왼쪽으로 돌림</translation>
    </message>
    <message>
        <source>Turned right</source>
        <translation>오른쪽으로 돌림</translation>
    </message>
    <message>
        <source>Looking up</source>
        <translation>위를 봄</translation>
    </message>
    <message>
        <source>Looking down</source>
        <translation>아래를 봄</translation>
    </message>
    <message>
        <source>Face unclear</source>
        <translation>얼굴 불분명</translation>
    </message>
    <message>
        <source>Several people</source>
        <translation>여러 사람</translation>
    </message>
    <message>
        <source>Not live</source>
        <translation>실물 아님</translation>
    </message>
    <message>
        <source>Inconsistent</source>
        <translation>일관성 없음</translation>
    </message>
    <message numerus="yes">
        <source>Last %n day(s)</source>
        <translation>
            <numerusform>최근 %n일</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sign-in(s)</source>
        <translation>
            <numerusform>로그인 %n건</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Frames rejected, per reason, of %n frame(s) with a face</source>
        <translation>
            <numerusform>얼굴이 보인 프레임 %n개 중 이유별 거부 비율</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Camera live, last %n day(s)</source>
        <translation>
            <numerusform>카메라 작동, 최근 %n일</numerusform>
        </translation>
    </message>
    <message>
        <source>Sign-in trends — {kiosk}</source>
        <translation>로그인 추세 — {kiosk}</translation>
    </message>
    <message>
        <source>up to {time}</source>
        <translation>{time}까지</translation>
    </message>
    <message>
        <source>No sign-ins yet in this period.</source>
        <translation>이 기간에는 아직 로그인이 없습니다.</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>요약</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>결과</translation>
    </message>
    <message>
        <source>Sign-ins</source>
        <translation>로그인</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>비율</translation>
    </message>
    <message>
        <source>90th percentile</source>
        <translation>90번째 백분위수</translation>
    </message>
    <message>
        <source>Attempts timed (a face was seen)</source>
        <translation>시간을 잰 시도 (얼굴이 보인 경우)</translation>
    </message>
    <message>
        <source>Kiosk running time recorded</source>
        <translation>기록된 키오스크 작동 시간</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours}시간</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>항목</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>값</translation>
    </message>
    <message>
        <source>Sign-ins per hour, last 24 hours</source>
        <translation>시간별 로그인, 최근 24시간</translation>
    </message>
    <message>
        <source>Hour</source>
        <translation>시간</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>날짜</translation>
    </message>
    <message>
        <source>(a frame can have several reasons)</source>
        <translation>(한 프레임에 여러 이유가 있을 수 있습니다)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>이유</translation>
    </message>
    <message>
        <source>Share of frames</source>
        <translation>프레임 비율</translation>
    </message>
    <message numerus="yes">
        <source>Sign-ins per day, last %n day(s)</source>
        <translation>
            <numerusform>일별 로그인, 최근 %n일</numerusform>
        </translation>
    </message>
    <message>
        <source>IN</source>
        <translation>출근</translation>
    </message>
    <message>
        <source>OUT</source>
        <translation>퇴근</translation>
    </message>
    <message>
        <source>Goodbye</source>
        <translation>안녕히 가세요</translation>
    </message>
    <message>
        <source>Switch to OUT</source>
        <translation>퇴근으로 바꾸기</translation>
    </message>
    <message>
        <source>Switch to IN</source>
        <translation>출근으로 바꾸기</translation>
    </message>
    <message>
        <source>Recorded at {time}</source>
        <translation>{time}에 기록되었습니다</translation>
    </message>
    <message>
        <source>Already recorded at {time}</source>
        <translation>이미 {time}에 기록되었습니다</translation>
    </message>
    <message>
        <source>Your attendance was not recorded. Please tell a member of staff.</source>
        <translation>출퇴근이 기록되지 않았습니다. 직원에게 알려 주세요.</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>출퇴근 기록</translation>
    </message>
    <message>
        <source>From</source>
        <translation>시작일</translation>
    </message>
    <message>
        <source>To (included)</source>
        <translation>종료일 (포함)</translation>
    </message>
    <message>
        <source>File type</source>
        <translation>파일 형식</translation>
    </message>
    <message>
        <source>Spreadsheet (XLSX)</source>
        <translation>스프레드시트 (XLSX)</translation>
    </message>
    <message>
        <source>Text (CSV)</source>
        <translation>텍스트 (CSV)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>날짜</translation>
    </message>
    <message>
        <source>First IN</source>
        <translation>첫 출근</translation>
    </message>
    <message>
        <source>Last OUT</source>
        <translation>마지막 퇴근</translation>
    </message>
    <message>
        <source>Worked</source>
        <translation>근무 시간</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>누락</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>The last day is before the first.</source>
        <translation>종료일이 시작일보다 앞입니다.</translation>
    </message>
    <message>
        <source>Attendance punch</source>
        <translation>출퇴근 기록</translation>
    </message>
    <message>
        <source>Attendance punch switched</source>
        <translation>출퇴근 기록 변경</translation>
    </message>
    <message>
        <source>Attendance exported</source>
        <translation>출퇴근 기록 내보내기</translation>
    </message>
    <message>
        <source>Your face is more typical than {percent}% of the actors.</source>
        <translation>당신의 얼굴은 배우들의 {percent}%보다 더 평균적입니다.</translation>
    </message>
    <message>
        <source>The most typical face here: {name}</source>
        <translation>여기서 가장 평균적인 얼굴: {name}</translation>
    </message>
    <message numerus="yes">
        <source>%n person-day(s)</source>
        <translation>
            <numerusform>일별 기록 %n건</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n with a missing punch</source>
        <translation>
            <numerusform>누락된 기록 %n건</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>At most %n day(s) at a time.</source>
        <translation>
            <numerusform>한 번에 최대 %n일까지입니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>A sign-in is for</source>
        <translation>로그인의 용도</translation>
    </message>
    <message>
        <source>Greeting the person</source>
        <translation>인사만 하기</translation>
    </message>
    <message>
        <source>Attendance: IN and OUT</source>
        <translation>출퇴근 기록: 출근과 퇴근</translation>
    </message>
    <message>
        <source>Import roster…</source>
        <translation>명단 가져오기…</translation>
    </message>
    <message>
        <source>Roster import</source>
        <translation>명단 가져오기</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Choose the roster CSV</source>
        <translation>명단 CSV 파일 선택</translation>
    </message>
    <message>
        <source>Stopped. Import the same roster again to carry on.</source>
        <translation>중지했습니다. 같은 명단을 다시 가져오면 이어서 진행합니다.</translation>
    </message>
    <message>
        <source>Enrolled {enrolled}, already enrolled {already}, not enrolled {refused}, of {total} rows.</source>
        <translation>전체 {total}행 중 등록 {enrolled}명, 이미 등록됨 {already}명, 등록 안 됨 {refused}명.</translation>
    </message>
    <message>
        <source>About {minutes}:{seconds:02d} left.</source>
        <translation>약 {minutes}:{seconds:02d} 남음.</translation>
    </message>
    <message>
        <source>{done} of {total} rows, {rate:.1f} per second.</source>
        <translation>{total}행 중 {done}행, 초당 {rate:.1f}명.</translation>
    </message>
    <message>
        <source>and {n} more</source>
        <translation>외 {n}건</translation>
    </message>
    <message>
        <source>Line {line}, ID {id}: {reason}</source>
        <translation>{line}행, ID {id}: {reason}</translation>
    </message>
    <message>
        <source>Add a look to {name}</source>
        <translation>{name}의 모습 추가</translation>
    </message>
    <message>
        <source>Looks (identification takes the best one)</source>
        <translation>등록된 모습 (가장 잘 맞는 모습으로 확인합니다)</translation>
    </message>
    <message>
        <source>Label of a new look (optional): glasses, beard…</source>
        <translation>새 모습 이름 (선택): 안경, 수염…</translation>
    </message>
    <message>
        <source>Add a look…</source>
        <translation>모습 추가…</translation>
    </message>
    <message>
        <source>Delete look</source>
        <translation>모습 삭제</translation>
    </message>
    <message>
        <source>Recent look (from a sign-in)</source>
        <translation>최근 모습 (로그인에서)</translation>
    </message>
    <message>
        <source>Look {n}</source>
        <translation>모습 {n}</translation>
    </message>
    <message>
        <source>other model pack</source>
        <translation>다른 모델 팩</translation>
    </message>
    <message>
        <source>Look deleted.</source>
        <translation>모습을 삭제했습니다.</translation>
    </message>
    <message>
        <source>Replace a look of {name}</source>
        <translation>{name}의 모습 바꾸기</translation>
    </message>
    <message>
        <source>Replace look…</source>
        <translation>모습 바꾸기…</translation>
    </message>
    <message>
        <source>Model migration from stored face pictures</source>
        <translation>저장된 얼굴 사진으로 모델 이전</translation>
    </message>
    <message>
        <source>Choose the new model pack's folder</source>
        <translation>새 모델 팩 폴더 선택</translation>
    </message>
    <message>
        <source>Stopped. Migrate to the same pack again to carry on.</source>
        <translation>중지했습니다. 같은 팩으로 다시 이전하면 이어서 진행합니다.</translation>
    </message>
    <message>
        <source>Migrated {migrated}, already migrated {already}, not migrated {failed}, look-alike pairs {pairs}.</source>
        <translation>이전 {migrated}명, 이미 이전됨 {already}명, 이전 안 됨 {failed}명, 닮은 쌍 {pairs}개.</translation>
    </message>
    <message>
        <source>The new templates count once {pack} is the active model pack.</source>
        <translation>{pack}을(를) 사용 중인 모델 팩으로 바꾸면 새 템플릿이 쓰입니다.</translation>
    </message>
    <message>
        <source>{done} of {total} people.</source>
        <translation>전체 {total}명 중 {done}명.</translation>
    </message>
    <message>
        <source>Migrate to a model pack…</source>
        <translation>모델 팩으로 이전…</translation>
    </message>
</context>
</TS>
